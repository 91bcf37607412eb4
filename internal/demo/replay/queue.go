package replay

import (
	"container/heap"
	"time"
)

type eventKind int

const (
	evRun eventKind = iota
	evTick
	evDecide
	evUndo
)

// event is something due at a simulated time.
type event struct {
	at      time.Time
	seq     int // order of queuing: ties run in the order they were queued
	kind    eventKind
	skill   string // evRun
	id      string // the proposal of evDecide and evUndo
	agent   string
	verdict verdict
	user    string
	reason  string
}

// queue is the simulation's agenda, earliest first.
type queue []event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
func (q queue) peek() event { return q[0] }

func (s *sim) push(e event) {
	s.seq++
	e.seq = s.seq
	heap.Push(&s.queue, e)
}

func (s *sim) pop() event { return heap.Pop(&s.queue).(event) }
