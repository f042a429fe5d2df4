package org.transformer4j.backend.cuda;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.transformer4j.api.DeviceInfo;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Asks the CUDA driver, once per JVM, whether there is a GPU and what it is. Every failure (no JNI library
 * for this platform, no {@code libcuda.so.1}, no device) becomes a one-line reason, never an exception.
 */
final class CudaProbe {

    /** What the probe found: a device description, or the problem in words. */
    record Result(boolean ok, String problem, DeviceInfo device) {
    }

    private static volatile Result cached;

    private CudaProbe() {
    }

    static Result result() {
        Result r = cached;
        if (r == null) {
            synchronized (CudaProbe.class) {
                r = cached;
                if (r == null) {
                    r = probe();
                    cached = r;
                }
            }
        }
        return r;
    }

    private static Result probe() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return failure("no GPU: the CUDA driver found no device");
            }
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            long[] memory = new long[1];
            JCudaDriver.cuDeviceTotalMem(memory, device);
            int[] major = new int[1];
            int[] minor = new int[1];
            JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
            JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
            int[] driver = new int[1];
            JCudaDriver.cuDriverGetVersion(driver);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("devices", Integer.toString(count[0]));
            details.put("memory", String.format(Locale.ROOT, "%.1f GiB", memory[0] / (double) (1L << 30)));
            details.put("compute capability", major[0] + "." + minor[0]);
            details.put("driver", driver[0] / 1000 + "." + driver[0] % 1000 / 10);
            return new Result(true, "", new DeviceInfo(cString(name), details));
        } catch (Throwable e) {
            // UnsatisfiedLinkError and NoClassDefFoundError included: a missing driver is an answer, not a crash.
            return failure(explain(e));
        }
    }

    private static Result failure(String problem) {
        return new Result(false, problem, new DeviceInfo("no usable NVIDIA GPU", Map.of()));
    }

    /** Turns JCuda's nested loader errors into one sentence naming what is missing. */
    static String explain(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
            for (Throwable s : t.getSuppressed()) {
                all.append(s.getMessage()).append('\n');
            }
        }
        String text = all.toString();
        if (text.contains("libcuda.so")) {
            return "no CUDA driver found (libcuda.so.1 cannot be loaded)";
        }
        if (text.contains("CUDA_ERROR_NO_DEVICE")) {
            return "no GPU: the CUDA driver found no device";
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "the CUDA driver cannot be used: " + message.lines().findFirst().orElse(message);
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
