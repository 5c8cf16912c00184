package main

import "github.com/jixiao/jixiao/internal/pdf"

// newRunner is the pipeline with the PDF engines of this build.
var newRunner = pdf.NewRunner
