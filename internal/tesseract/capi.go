package tesseract

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>

// The few functions of Tesseract's C API (tesseract/capi.h) jixiao calls,
// looked up at run time: the binary neither needs Tesseract's headers to
// build nor its library to start.
typedef void *(*create_fn)(void);
typedef void (*delete_fn)(void *);
typedef int (*init4_fn)(void *, const char *, const char *, int, char **, int, char **, char **, size_t, int);
typedef void (*set_psm_fn)(void *, int);
typedef void (*set_image_fn)(void *, const unsigned char *, int, int, int, int);
typedef void (*set_res_fn)(void *, int);
typedef int (*recognize_fn)(void *, void *);
typedef void *(*get_iter_fn)(void *);
typedef void *(*page_iter_fn)(void *);
typedef int (*begin_fn)(void *, int);
typedef int (*bbox_fn)(void *, int, int *, int *, int *, int *);
typedef char *(*iter_text_fn)(void *, int);
typedef float (*iter_conf_fn)(void *, int);
typedef int (*iter_next_fn)(void *, int);
typedef void (*iter_delete_fn)(void *);
typedef void (*delete_text_fn)(const char *);
typedef void (*clear_fn)(void *);
typedef const char *(*version_fn)(void);

static create_fn p_create;
static delete_fn p_delete;
static init4_fn p_init4;
static set_psm_fn p_set_psm;
static set_image_fn p_set_image;
static set_res_fn p_set_res;
static recognize_fn p_recognize;
static get_iter_fn p_get_iter;
static page_iter_fn p_page_iter;
static begin_fn p_begin;
static bbox_fn p_bbox;
static iter_text_fn p_iter_text;
static iter_conf_fn p_iter_conf;
static iter_next_fn p_iter_next;
static iter_delete_fn p_iter_delete;
static delete_text_fn p_delete_text;
static clear_fn p_clear;
static version_fn p_version;

// tess_load opens the library and resolves every function; NULL on
// success, else what failed.
static const char *tess_load(const char *name) {
	void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!lib) return dlerror();
#define SYM(var, type, sym) if (!(var = (type)dlsym(lib, sym))) return "missing symbol " sym;
	SYM(p_create, create_fn, "TessBaseAPICreate")
	SYM(p_delete, delete_fn, "TessBaseAPIDelete")
	SYM(p_init4, init4_fn, "TessBaseAPIInit4")
	SYM(p_set_psm, set_psm_fn, "TessBaseAPISetPageSegMode")
	SYM(p_set_image, set_image_fn, "TessBaseAPISetImage")
	SYM(p_set_res, set_res_fn, "TessBaseAPISetSourceResolution")
	SYM(p_recognize, recognize_fn, "TessBaseAPIRecognize")
	SYM(p_get_iter, get_iter_fn, "TessBaseAPIGetIterator")
	SYM(p_page_iter, page_iter_fn, "TessResultIteratorGetPageIterator")
	SYM(p_begin, begin_fn, "TessPageIteratorIsAtBeginningOf")
	SYM(p_bbox, bbox_fn, "TessPageIteratorBoundingBox")
	SYM(p_iter_text, iter_text_fn, "TessResultIteratorGetUTF8Text")
	SYM(p_iter_conf, iter_conf_fn, "TessResultIteratorConfidence")
	SYM(p_iter_next, iter_next_fn, "TessResultIteratorNext")
	SYM(p_iter_delete, iter_delete_fn, "TessResultIteratorDelete")
	SYM(p_delete_text, delete_text_fn, "TessDeleteText")
	SYM(p_clear, clear_fn, "TessBaseAPIClear")
	SYM(p_version, version_fn, "TessVersion")
#undef SYM
	return NULL;
}

static void *tess_create(void) { return p_create(); }
static void tess_delete(void *h) { p_delete(h); }
static int tess_init(void *h, const char *dir, const char *lang, char **names, char **values, size_t n) {
	// OEM_LSTM_ONLY (1): the data Debian ships for chi_sim is the LSTM model.
	return p_init4(h, dir, lang, 1, NULL, 0, names, values, n, 0);
}
static void tess_set_psm(void *h, int psm) { p_set_psm(h, psm); }
static void tess_set_image(void *h, const unsigned char *pix, int w, int hgt, int stride, int dpi) {
	p_set_image(h, pix, w, hgt, 1, stride);
	p_set_res(h, dpi);
}
static int tess_recognize(void *h) { return p_recognize(h, NULL); }
// The result iterator, walked symbol by symbol (RIL_SYMBOL = 4).
typedef struct {
	int begin; // bit 0 block, 1 paragraph, 2 line, 3 word
	int l, t, r, b;
	float conf, word_conf;
	int wl, wt, wr, wb; // the word's box, at a word's first symbol
} tess_symbol;

static void *tess_iter(void *h) { return p_get_iter(h); }
static void tess_iter_delete(void *it) { p_iter_delete(it); }
static int tess_iter_next(void *it) { return p_iter_next(it, 4); }
static char *tess_symbol_at(void *it, tess_symbol *s) {
	void *pi = p_page_iter(it);
	s->begin = 0;
	for (int lvl = 0; lvl <= 3; lvl++)
		if (p_begin(pi, lvl)) s->begin |= 1 << lvl;
	if (!p_bbox(pi, 4, &s->l, &s->t, &s->r, &s->b)) s->l = s->t = s->r = s->b = 0;
	s->conf = p_iter_conf(it, 4);
	if (s->begin & 8) {
		s->word_conf = p_iter_conf(it, 3);
		if (!p_bbox(pi, 3, &s->wl, &s->wt, &s->wr, &s->wb)) s->wl = s->wt = s->wr = s->wb = 0;
	}
	return p_iter_text(it, 4);
}
static void tess_free_text(char *s) { p_delete_text(s); }
static void tess_clear(void *h) { p_clear(h); }
static const char *tess_version(void) { return p_version(); }
static void tess_trim(void) { malloc_trim(0); }
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"os"
	"sync"
	"unsafe"
)

// Library is the shared library opened: Debian's libtesseract5.
var Library = "libtesseract.so.5"

var (
	loadOnce sync.Once
	loadErr  error
	version  string
)

// load opens the library once per process. OpenMP reads its thread limit
// when the library is loaded, so it is set first: jixiao runs one engine
// per core itself, and OpenMP's threads on top of that only contend.
func load() error {
	loadOnce.Do(func() {
		if os.Getenv("OMP_THREAD_LIMIT") == "" {
			os.Setenv("OMP_THREAD_LIMIT", "1")
		}
		name := C.CString(Library)
		defer C.free(unsafe.Pointer(name))
		if msg := C.tess_load(name); msg != nil {
			loadErr = fmt.Errorf("%w（未找到 %s：%s）", ErrMissing, Library, C.GoString(msg))
			return
		}
		version = C.GoString(C.tess_version())
	})
	return loadErr
}

// Version is the version of the Tesseract library loaded, "" when none is.
func Version() string {
	if load() != nil {
		return ""
	}
	return version
}

type handle = unsafe.Pointer

func newHandle(dir, lang string, vars map[string]string) (handle, error) {
	h := C.tess_create()
	if h == nil {
		return nil, errors.New("tesseract: TessBaseAPICreate failed")
	}
	names := make([]*C.char, 0, len(vars))
	values := make([]*C.char, 0, len(vars))
	for k, v := range vars {
		names = append(names, C.CString(k))
		values = append(values, C.CString(v))
	}
	defer func() {
		for i := range names {
			C.free(unsafe.Pointer(names[i]))
			C.free(unsafe.Pointer(values[i]))
		}
	}()
	var np, vp **C.char
	if len(names) > 0 {
		np = (**C.char)(C.malloc(C.size_t(len(names)) * C.size_t(unsafe.Sizeof(np))))
		vp = (**C.char)(C.malloc(C.size_t(len(names)) * C.size_t(unsafe.Sizeof(vp))))
		defer C.free(unsafe.Pointer(np))
		defer C.free(unsafe.Pointer(vp))
		copy(unsafe.Slice(np, len(names)), names)
		copy(unsafe.Slice(vp, len(values)), values)
	}
	cl, cd := C.CString(lang), C.CString(dir)
	defer C.free(unsafe.Pointer(cl))
	defer C.free(unsafe.Pointer(cd))
	if C.tess_init(h, cd, cl, np, vp, C.size_t(len(names))) != 0 {
		C.tess_delete(h)
		return nil, fmt.Errorf("%w（未找到 %s 语言数据）", ErrMissing, lang)
	}
	return h, nil
}

// recognize runs Tesseract on an 8-bit grey image and returns every
// symbol it read, in its reading order.
func recognize(h handle, pix []byte, w, hgt, stride, dpi, psm int) ([]symbol, error) {
	if len(pix) < stride*hgt || w <= 0 || hgt <= 0 {
		return nil, errors.New("tesseract: image buffer too small")
	}
	C.tess_set_psm(h, C.int(psm))
	// The pixels are copied by Tesseract (pixCreate + memcpy in SetImage),
	// so passing Go memory for the call's duration is allowed.
	C.tess_set_image(h, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(hgt), C.int(stride), C.int(dpi))
	defer trim() // after Clear (deferred calls run last first)
	defer C.tess_clear(h)
	if C.tess_recognize(h) != 0 {
		return nil, errors.New("tesseract: recognition failed")
	}
	it := C.tess_iter(h)
	if it == nil {
		return nil, nil
	}
	defer C.tess_iter_delete(it)
	var out []symbol
	for {
		var cs C.tess_symbol
		t := C.tess_symbol_at(it, &cs)
		if t != nil {
			s := symbol{text: C.GoString(t), begin: int(cs.begin),
				box:  image.Rect(int(cs.l), int(cs.t), int(cs.r), int(cs.b)),
				conf: float64(cs.conf)}
			if s.begin&beginWord != 0 {
				s.wordConf = float64(cs.word_conf)
				s.wordBox = image.Rect(int(cs.wl), int(cs.wt), int(cs.wr), int(cs.wb))
			}
			C.tess_free_text(t)
			out = append(out, s)
		}
		if C.tess_iter_next(it) == 0 {
			break
		}
	}
	return out, nil
}

// symbol is one character as the iterator gives it.
type symbol struct {
	text     string
	begin    int // beginBlock | beginPara | beginLine | beginWord
	box      image.Rectangle
	conf     float64
	wordConf float64         // at a word's first symbol
	wordBox  image.Rectangle // at a word's first symbol
}

const (
	beginBlock = 1 << iota
	beginPara
	beginLine
	beginWord
)

func deleteHandle(h handle) { C.tess_delete(h) }

// trim hands the C heap's free pages back to the system: a page's
// recognition allocates and frees tens of megabytes, which glibc would
// otherwise keep, per thread, for good.
func trim() { C.tess_trim() }
