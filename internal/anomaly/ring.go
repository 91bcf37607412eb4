package anomaly

import "math"

// moments keeps the mean and variance of the last n values it was given in
// O(1) per value (a ring buffer with running sums, re-summed now and then
// so rounding errors cannot pile up over a long stream).
type moments struct {
	buf      []float64
	next     int
	full     bool
	sum, sq  float64
	sinceFix int
}

func newMoments(n int) *moments { return &moments{buf: make([]float64, n)} }

func (m *moments) count() int {
	if m.full {
		return len(m.buf)
	}
	return m.next
}

func (m *moments) add(x float64) {
	if m.full {
		old := m.buf[m.next]
		m.sum -= old
		m.sq -= old * old
	}
	m.buf[m.next] = x
	m.sum += x
	m.sq += x * x
	m.next++
	if m.next == len(m.buf) {
		m.next, m.full = 0, true
	}
	m.sinceFix++
	if m.sinceFix >= 4*len(m.buf) {
		m.sinceFix = 0
		m.sum, m.sq = 0, 0
		for _, v := range m.buf[:m.count()] {
			m.sum += v
			m.sq += v * v
		}
	}
}

func (m *moments) mean() float64 {
	n := m.count()
	if n == 0 {
		return 0
	}
	return m.sum / float64(n)
}

// std is the population standard deviation of the values held.
func (m *moments) std() float64 {
	n := m.count()
	if n < 2 {
		return 0
	}
	mu := m.sum / float64(n)
	v := m.sq/float64(n) - mu*mu
	if v <= 0 {
		return 0
	}
	return math.Sqrt(v)
}
