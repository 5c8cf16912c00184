//go:build !unix

package ingest

// openNoFollow is unix's O_NOFOLLOW|O_NONBLOCK; elsewhere the descriptor's
// kind is still checked once opened, and os.Root still keeps a read inside
// its folder.
const openNoFollow = 0
