package pymodel

// blocks hands out zero values carved from arrays of n at a time. A model
// is thousands of small objects that live and die together; one
// allocation each was most of what building a model cost.
type blocks[T any] struct{ free []T }

// next returns a zero T from the current array, allocating an array of n
// when it is used up.
func (b *blocks[T]) next(n int) *T {
	if len(b.free) == 0 {
		b.free = make([]T, n)
	}
	p := &b.free[0]
	b.free = b.free[1:]
	return p
}
