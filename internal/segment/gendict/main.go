// Command gendict derives dictionaries/zh_compact.txt from gse's Chinese
// dictionary: gse's full dictionary takes over a second and ~250 MB to load,
// the compact one a few tens of milliseconds. Run by `go generate` in
// internal/segment:
//
//	go run ./gendict -gse $(go list -m -f '{{.Dir}}' github.com/go-ego/gse) \
//	    -confusables ../../dictionaries/confusables.tsv -o ../../dictionaries/zh_compact.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Words at least this frequent are kept whatever they are.
const minFreq = 300

// Less frequent words are still kept when they overlap a confusable form (a
// word starting with the end of a wrong form or ending with its beginning),
// so the segmenter sees 以/经济 rather than 以经/济.
const minOverlapFreq = 10

// correctContaining are real words that contain a wrong form of the
// confusables list; every other dictionary word that contains one is itself a
// misspelling (gse's dictionary has 竟争力, 小部份, …) and is dropped.
var correctContaining = map[string]bool{
	"轮休制": true, "情不自已": true, "不能自已": true, "预防犯罪": true,
	"砥节励行": true, "中馈乏人": true, "涣发大号": true, "遗休余烈": true,
	"完城旦": true,
}

func main() {
	gseDir := flag.String("gse", "", "directory of the github.com/go-ego/gse module")
	confPath := flag.String("confusables", "", "confusables.tsv")
	out := flag.String("o", "", "output file")
	flag.Parse()
	if *gseDir == "" || *confPath == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	data, err := generate(*gseDir, *confPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

// generate returns the compact dictionary's text.
func generate(gseDir, confPath string) ([]byte, error) {
	wrong, err := readWrongForms(confPath)
	if err != nil {
		return nil, err
	}
	words, err := readGse(filepath.Join(gseDir, "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, e := range compact(words, wrong) {
		fmt.Fprintf(&b, "%s %d\n", e.word, e.freq)
	}
	return []byte(b.String()), nil
}

type entry struct {
	word string
	freq int
}

func readWrongForms(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var wrong []string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		wrong = append(wrong, strings.SplitN(line, "\t", 2)[0])
	}
	return wrong, nil
}

// readGse reads "word freq pos" lines, keeping words written in Han only.
func readGse(path string) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var words []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || !allHan(fields[0]) {
			continue
		}
		freq, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		words = append(words, entry{fields[0], int(freq)})
	}
	return words, sc.Err()
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

func compact(words []entry, wrong []string) []entry {
	heads, tails := map[string]bool{}, map[string]bool{} // proper prefixes and suffixes of wrong forms
	for _, w := range wrong {
		r := []rune(w)
		for i := 1; i < len(r); i++ {
			heads[string(r[:i])] = true
			tails[string(r[i:])] = true
		}
	}
	overlaps := func(word string) bool {
		r := []rune(word)
		for i := 1; i <= len(r); i++ {
			if tails[string(r[:i])] || heads[string(r[len(r)-i:])] {
				return true
			}
		}
		return false
	}
	containsWrong := func(word string) bool {
		for _, w := range wrong {
			if strings.Contains(word, w) {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	var kept []entry
	for _, e := range words {
		if seen[e.word] || (containsWrong(e.word) && !correctContaining[e.word]) {
			continue
		}
		if e.freq >= minFreq || (e.freq >= minOverlapFreq && overlaps(e.word)) || correctContaining[e.word] {
			seen[e.word] = true
			kept = append(kept, e)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].word < kept[j].word })
	return kept
}
