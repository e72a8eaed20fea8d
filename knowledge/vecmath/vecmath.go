// Package vecmath holds the vector arithmetic both stores share, so that the
// embedded and the PostgreSQL store give the same scores to the last bit.
package vecmath

// Dot is the inner product, unrolled by eight with four accumulators so the
// CPU can overlap the multiplications. Its order of operations is part of
// the stores' contract: change it in one place only.
func Dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	for len(a) >= 8 {
		a8, b8 := a[:8:8], b[:8:8]
		s0 += a8[0]*b8[0] + a8[4]*b8[4]
		s1 += a8[1]*b8[1] + a8[5]*b8[5]
		s2 += a8[2]*b8[2] + a8[6]*b8[6]
		s3 += a8[3]*b8[3] + a8[7]*b8[7]
		a, b = a[8:], b[8:]
	}
	for i := range a {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}
