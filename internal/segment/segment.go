// Package segment splits report text into words with go-ego/gse's dictionary
// trie and a jieba-style maximum-probability route, after lifting numbers
// out whole (gse alone cuts 251.89 into pieces).
//
// The dictionary is the compact one embedded in package dictionaries (the
// frequent part of gse's Chinese dictionary plus the domain terms), so a
// copied binary needs no data files. It is built on first use: about 36k
// words, some 20-40 ms and 9 MB of live heap on an idle core, where gse's
// full dictionary takes 1-2 s and ~250 MB. Stages that never segment never
// pay for it. A word already in an earlier dictionary keeps its first
// frequency.
//
//go:generate sh -c "go run ./gendict -gse $(go list -m -f '{{.Dir}}' github.com/go-ego/gse) -confusables ../../dictionaries/confusables.tsv -o ../../dictionaries/zh_compact.txt"
package segment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/jixiao/jixiao/dictionaries"
)

// Kind says what a word is made of.
type Kind uint8

const (
	Han    Kind = iota // Chinese word (or a single character)
	Number             // digits with decimal point, separators, percent sign
	Latin              // run of ASCII or full-width letters
	Punct              // any other single character
)

// Word is one token of a text.
type Word struct {
	Text       string
	Start, End int // byte offsets: text[Start:End] == Text
	Kind       Kind
}

// Segmenter cuts text into words. It is safe for concurrent use: after
// loading, it only reads its dictionary.
type Segmenter struct {
	gse      gse.Segmenter
	info     map[*gse.Token]tokenInfo
	logTotal float64 // log of the dictionary's total frequency
}

// tokenInfo is what the route search needs of a dictionary token, kept
// beside gse's token (whose text and frequency sit behind allocating or
// unexported accessors).
type tokenInfo struct {
	runes   int     // length in characters
	logFreq float64 // natural log of the frequency
}

// defaultDomainFreq is the frequency of a domain term that gives none: high
// enough that a domain term beats the general words it could be cut into.
const defaultDomainFreq = 3000

// Load builds a segmenter from dictionaries in the text form "word
// [frequency [pos]]" per line (# starts a comment line). A word without a
// frequency gets defaultDomainFreq.
func Load(dicts ...string) (*Segmenter, error) {
	s := &Segmenter{}
	// Our own loader rather than gse's LoadDictStr: that one also
	// pre-segments every word for gse's search mode and loads the HMM
	// model, which costs most of gse's load time and is never used here.
	s.gse.Dict = gse.NewDict()
	for i, d := range dicts {
		if err := s.add(d); err != nil {
			return nil, fmt.Errorf("segment: dictionary %d: %w", i+1, err)
		}
	}
	s.info = make(map[*gse.Token]tokenInfo, len(s.gse.Dict.Tokens))
	for i := range s.gse.Dict.Tokens {
		t := &s.gse.Dict.Tokens[i]
		s.info[t] = tokenInfo{runes: utf8.RuneCountInString(t.Text()), logFreq: math.Log(t.Freq())}
	}
	s.logTotal = math.Log(s.gse.Dict.TotalFreq())
	return s, nil
}

func (s *Segmenter) add(dict string) error {
	for n := 1; dict != ""; n++ {
		var line string
		line, dict, _ = strings.Cut(dict, "\n")
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		freqText, pos, _ := strings.Cut(strings.TrimSpace(rest), " ")
		freq := float64(defaultDomainFreq)
		if freqText != "" {
			f, err := strconv.ParseFloat(freqText, 64)
			if err != nil || f <= 0 {
				return fmt.Errorf("line %d: bad frequency %q", n, freqText)
			}
			freq = f
		}
		if err := s.gse.Dict.AddToken(s.gse.ToToken(word, freq, strings.TrimSpace(pos))); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return nil
}

var (
	defaultOnce sync.Once
	defaultSeg  *Segmenter
)

// Default returns the segmenter of the embedded dictionaries, built on the
// first call.
func Default() *Segmenter {
	defaultOnce.Do(func() {
		s, err := Load(dictionaries.ZhCompact, dictionaries.Domain)
		if err != nil {
			// The embedded dictionaries are part of the binary and tested.
			panic(err)
		}
		defaultSeg = s
	})
	return defaultSeg
}

// Words segments text with the default segmenter.
func Words(text string) []Word { return Default().Words(text) }

// Contains reports whether word is in the dictionary.
func (s *Segmenter) Contains(word string) bool {
	_, _, err := s.gse.Dict.Value([]byte(word))
	return err == nil
}

// Size is the number of words in the dictionary.
func (s *Segmenter) Size() int { return s.gse.Dict.NumTokens() }
