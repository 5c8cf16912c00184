package main

import "github.com/jixiao/jixiao/internal/ocr"

// newRunner is the pipeline with the PDF engines and OCR of this build.
var newRunner = ocr.NewRunner
