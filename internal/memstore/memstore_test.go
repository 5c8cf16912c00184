package memstore

import (
	"testing"

	"github.com/jixiao/jixiao/internal/storetest"
	"github.com/jixiao/jixiao/pipeline"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pipeline.Store { return New() })
}
