package org.transformer4j.api.spi;

import java.lang.reflect.Proxy;

import org.transformer4j.api.Backend;
import org.transformer4j.api.DType;
import org.transformer4j.api.Shape;

/** A tensor with no real backend, recording the order in which tensors are closed. */
public final class FakeTensor extends AbstractTensor<FakeTensor.FakeStorage> {

    static final Backend NO_BACKEND = (Backend) Proxy.newProxyInstance(FakeTensor.class.getClassLoader(),
            new Class<?>[] {Backend.class}, (proxy, method, args) -> method.getName().equals("name") ? "fake" : null);

    public FakeTensor(String name, StringBuilder closeOrder) {
        super(NO_BACKEND, Shape.of(1), DType.FLOAT32, new FakeStorage(name, closeOrder));
    }

    static final class FakeStorage extends Storage {
        private final String name;
        private final StringBuilder closeOrder;
        int frees;

        FakeStorage(String name, StringBuilder closeOrder) {
            super(4);
            this.name = name;
            this.closeOrder = closeOrder;
        }

        @Override
        protected void free() {
            frees++;
            if (closeOrder != null) {
                closeOrder.append(name);
            }
        }
    }
}
