// Package dictionaries holds jixiao's word lists, embedded so that a copied
// binary needs no data files: the compact general Chinese dictionary and the
// domain user dictionary the segmenter loads, and the confusables list the
// typo rule reads. See NOTICE for where zh_compact.txt comes from.
package dictionaries

import _ "embed"

// ZhCompact is the general vocabulary: one "word frequency" per line, words
// in byte order (inserting them in order keeps the trie build fast).
//
//go:embed zh_compact.txt
var ZhCompact string

// Domain is the user dictionary of report terms: "word [frequency [pos]]"
// per line, # comments.
//
//go:embed domain.txt
var Domain string

// Confusables is the list of known misspellings: "wrong<TAB>right<TAB>note"
// per line, # comments.
//
//go:embed confusables.tsv
var Confusables string

// Chrome is the vocabulary of site chrome: the labels of a web page's
// metadata block and footer, breadcrumb words. "[class]" headers, one
// phrase per line, # comments.
//
//go:embed chrome.txt
var Chrome string

// Form is the vocabulary of the self-evaluation form's cells, by what they
// hold; same format as Chrome.
//
//go:embed form.txt
var Form string

// Cues is the vocabulary of running text: the cue words that class a
// figure (planned, adjusted, executed, a change, a breakdown's opening) and
// the labels of scores and grades; same format as Chrome.
//
//go:embed cues.txt
var Cues string

// Sections is the vocabulary of the template's sections: the words a
// heading's title is told by, class by class in the order they are tried.
//
//go:embed sections.txt
var Sections string

// Bodies is the vocabulary of bodies' names: how a body's name ends, and
// words that make a name in running text not the reporting body.
//
//go:embed bodies.txt
var Bodies string

// OCRConfusions are the characters OCR reads for others in these reports:
// "misread<TAB>meant" per line, # comments.
//
//go:embed ocr_confusions.tsv
var OCRConfusions string
