package io.github.posthog4j.client.internal.spool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Releases a file mapping at once ({@code sun.misc.Unsafe.invokeCleaner}, looked up
 * reflectively in the {@code jdk.unsupported} module), so that a deleted segment's disk
 * space is freed now rather than when the garbage collector gets to its buffer. Where the
 * method is not available, or warns (JDK 24 and later), the mapping is left to the
 * collector. The caller guarantees that nothing reads or writes the buffer afterwards.
 */
final class Unmapper {

    private static final @Nullable MethodHandle CLEANER = find();

    private Unmapper() {
    }

    private static @Nullable MethodHandle find() {
        if (Runtime.version().feature() >= 24) {
            // JDK 24+ warns on stderr at the first use of sun.misc.Unsafe's memory
            // methods
            // (JEP 498): the collector unmaps instead (segments are reused, so deletions
            // are
            // rare)
            return null;
        }
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            return MethodHandles.lookup()
                .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                .bindTo(unsafe);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

    static void unmap(MappedByteBuffer buffer) {
        MethodHandle cleaner = CLEANER;
        if (cleaner != null) {
            try {
                cleaner.invokeExact((ByteBuffer) buffer);
            }
            catch (Throwable ex) {
                // left to the garbage collector
            }
        }
    }

}
