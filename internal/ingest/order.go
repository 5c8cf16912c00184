package ingest

import (
	"context"
	"slices"
	"sync"
)

// saveQueue holds read documents briefly before they are judged against the
// store and saved, and hands out an organisation's earlier years first. The
// files of a batch come in any year order, but an organisation's reports
// usually lie near each other in the walk (a folder per body, or per year);
// saving the earlier years first judges the later ones against them at once
// and spares judging them again (rejudge). It is bounded in
// documents and bytes, so memory does not grow with the batch, and a killed
// batch only loses documents not yet saved, which the next run reads again.
type saveQueue struct {
	mu      sync.Mutex
	pending []*prepared // in arrival order
	bytes   int
	// last is, per organisation, closed when the report of it handed out
	// last is saved: reports of one body are saved in the order handed out.
	last map[string]chan struct{}
}

const (
	queueDocs  = 64
	queueBytes = 16 << 20
)

func newSaveQueue() *saveQueue { return &saveQueue{last: map[string]chan struct{}{}} }

func (p *prepared) size() int {
	n := len(p.data)
	for _, ext := range p.exts {
		n += len(ext.Text)
	}
	return n
}

// push adds p and, when the queue is full, returns the document to save now.
// A document whose bytes already wait in the queue is not added: dup says
// so, and it counts as present, as it would had the first been saved.
func (q *saveQueue) push(p *prepared) (t *turn, dup bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, o := range q.pending {
		if o.res.SHA256 == p.res.SHA256 {
			return nil, true
		}
	}
	q.pending = append(q.pending, p)
	q.bytes += p.size()
	if len(q.pending) <= queueDocs && q.bytes <= queueBytes {
		return nil, false
	}
	return q.popLocked(), false
}

// pop hands out a document (see popLocked), nil when none is left.
func (q *saveQueue) pop() *turn {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return nil
	}
	return q.popLocked()
}

// popLocked hands out, of the organisation of the document waiting
// longest, its earliest year waiting: documents leave about in the order
// they came, and the reports of one body whose files lie closer together
// than the queue is long leave in year order. An organisation with a report
// being saved is passed over while another can go, so that a worker saves
// rather than waits.
func (q *saveQueue) popLocked() *turn {
	best := 0
	for i, p := range q.pending {
		if _, busy := q.last[p.res.Org]; !busy {
			best = i
			break
		}
	}
	if org := q.pending[best].res.Org; org != "" {
		for i, p := range q.pending {
			if p.res.Org == org && p.res.Year < q.pending[best].res.Year {
				best = i
			}
		}
	}
	p := q.pending[best]
	q.pending = slices.Delete(q.pending, best, best+1)
	q.bytes -= p.size()
	t := &turn{p: p, q: q, done: make(chan struct{})}
	if org := p.res.Org; org != "" {
		t.after = q.last[org]
		q.last[org] = t.done
	}
	return t
}

// turn is a document handed out to be saved.
type turn struct {
	p     *prepared
	q     *saveQueue
	after <-chan struct{} // the organisation's report handed out before, nil if none
	done  chan struct{}
}

// save waits until the organisation's report handed out before is saved,
// then judges and saves this one.
func (t *turn) save(ctx context.Context, st Store) (Result, error) {
	if t.after != nil {
		<-t.after
	}
	defer t.finish()
	return t.p.save(ctx, st)
}

func (t *turn) finish() {
	close(t.done)
	t.q.mu.Lock()
	if org := t.p.res.Org; t.q.last[org] == t.done {
		delete(t.q.last, org)
	}
	t.q.mu.Unlock()
}
