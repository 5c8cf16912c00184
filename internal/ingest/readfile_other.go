//go:build !unix

package ingest

// openNonBlock and openNoFollow are unix's O_NONBLOCK and O_NOFOLLOW;
// elsewhere the descriptor's kind is still checked once opened, and
// os.Root still keeps a read inside its folder.
const (
	openNonBlock = 0
	openNoFollow = 0
)
