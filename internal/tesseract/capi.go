package tesseract

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
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
typedef char *(*tsv_fn)(void *, int);
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
static tsv_fn p_tsv;
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
	SYM(p_tsv, tsv_fn, "TessBaseAPIGetTsvText")
	SYM(p_delete_text, delete_text_fn, "TessDeleteText")
	SYM(p_clear, clear_fn, "TessBaseAPIClear")
	SYM(p_version, version_fn, "TessVersion")
#undef SYM
	return NULL;
}

static void *tess_create(void) { return p_create(); }
static void tess_delete(void *h) { p_delete(h); }
static int tess_init(void *h, const char *lang, char **names, char **values, size_t n) {
	// OEM_LSTM_ONLY (1): the data Debian ships for chi_sim is the LSTM model.
	return p_init4(h, NULL, lang, 1, NULL, 0, names, values, n, 0);
}
static void tess_set_psm(void *h, int psm) { p_set_psm(h, psm); }
static void tess_set_image(void *h, const unsigned char *pix, int w, int hgt, int stride, int dpi) {
	p_set_image(h, pix, w, hgt, 1, stride);
	p_set_res(h, dpi);
}
static int tess_recognize(void *h) { return p_recognize(h, NULL); }
static char *tess_tsv(void *h) { return p_tsv(h, 0); }
static void tess_free_text(char *s) { p_delete_text(s); }
static void tess_clear(void *h) { p_clear(h); }
static const char *tess_version(void) { return p_version(); }
*/
import "C"

import (
	"errors"
	"fmt"
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

func newHandle(lang string, vars map[string]string) (handle, error) {
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
	cl := C.CString(lang)
	defer C.free(unsafe.Pointer(cl))
	if C.tess_init(h, cl, np, vp, C.size_t(len(names))) != 0 {
		C.tess_delete(h)
		return nil, fmt.Errorf("%w（未找到 %s 语言数据）", ErrMissing, lang)
	}
	return h, nil
}

// recognize runs Tesseract on an 8-bit grey image and returns its TSV.
func recognize(h handle, pix []byte, w, hgt, stride, dpi, psm int) (string, error) {
	if len(pix) < stride*hgt || w <= 0 || hgt <= 0 {
		return "", errors.New("tesseract: image buffer too small")
	}
	C.tess_set_psm(h, C.int(psm))
	// The pixels are copied by Tesseract (pixCreate + memcpy in SetImage),
	// so passing Go memory for the call's duration is allowed.
	C.tess_set_image(h, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(hgt), C.int(stride), C.int(dpi))
	defer C.tess_clear(h)
	if C.tess_recognize(h) != 0 {
		return "", errors.New("tesseract: recognition failed")
	}
	t := C.tess_tsv(h)
	if t == nil {
		return "", nil
	}
	defer C.tess_free_text(t)
	return C.GoString(t), nil
}

func deleteHandle(h handle) { C.tess_delete(h) }
