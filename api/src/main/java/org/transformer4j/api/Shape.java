package org.transformer4j.api;

import java.util.Arrays;

/**
 * The immutable dimensions of a tensor, outermost first (row-major: the last axis is contiguous).
 *
 * <p>A rank-0 shape ({@code Shape.of()}) is a scalar with one element. Negative axis arguments count from
 * the end, as in numpy: {@code dim(-1)} is the last dimension.
 */
public final class Shape {

    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, (long) d);
        }
        this.size = n;
    }

    /** A shape with these dimensions; each must be at least 1 (tensors are never empty). */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("every dimension must be at least 1, got " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** The number of elements: the product of the dimensions. */
    public long size() {
        return size;
    }

    /** The number of elements as an int, for host arrays; fails for tensors of 2^31 elements or more. */
    public int intSize() {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor of shape " + this + " has " + size + " elements, more than a Java array holds");
        }
        return (int) size;
    }

    /** The dimension of {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[axis(axis)];
    }

    /** The last dimension (for a scalar, 1). */
    public int last() {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    /** The number of elements in all dimensions but the last: the row count when the tensor is seen as a matrix. */
    public long rows() {
        return size / last();
    }

    /** Normalises a possibly negative axis to {@code [0, rank)}. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** A copy of the dimensions. */
    public int[] toArray() {
        return dims.clone();
    }

    /** This shape without {@code axis}. */
    public Shape drop(int axis) {
        int a = axis(axis);
        int[] out = new int[dims.length - 1];
        System.arraycopy(dims, 0, out, 0, a);
        System.arraycopy(dims, a + 1, out, a, dims.length - a - 1);
        return new Shape(out);
    }

    /** This shape with the last dimension replaced. */
    public Shape withLast(int last) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a scalar has no last dimension");
        }
        int[] out = dims.clone();
        out[out.length - 1] = last;
        return of(out);
    }

    /** The product of the dimensions in {@code [from, to)}. */
    public long product(int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    /** True when {@code suffix} equals the trailing dimensions of this shape (a suffix of rank 0 always does). */
    public boolean endsWith(Shape suffix) {
        int offset = dims.length - suffix.dims.length;
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < suffix.dims.length; i++) {
            if (dims[offset + i] != suffix.dims[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
