package io.github.posthog4j.client.internal.exceptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link Throwable} into an {@link ExceptionNode} tree: its suppressed exceptions
 * then its cause as children (the order {@code printStackTrace} shows them, so that the
 * root cause of the main chain is the last entry of the flattened list), depth first,
 * each exception object once (cycles are cut), at most {@value #MAX_EXCEPTIONS}
 * exceptions. Frames are in PostHog's order, the entry point first and the crash site
 * last (the JVM reports them the other way round), in the JVM frame format PostHog's
 * error tracking reads ({@code platform java}, {@code function}, {@code module},
 * {@code filename}, {@code lineno}, {@code in_app}). A throwable whose methods throw is
 * read as far as it lets itself be: the reader never throws. Internal API.
 */
public final class ThrowableReader {

    /** Most exceptions serialised in one event. */
    public static final int MAX_EXCEPTIONS = 50;

    /**
     * Most frames kept per exception (the innermost ones, nearest the crash site; the JVM
     * records up to 1024).
     */
    public static final int MAX_FRAMES = 200;

    /** Most frames kept in one event, over all its exceptions (in list order). */
    public static final int MAX_TOTAL_FRAMES = 1500;

    private final InAppFrames inApp;

    private final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private int count;

    private int framesLeft = MAX_TOTAL_FRAMES;

    private ThrowableReader(InAppFrames inApp) {
        this.inApp = inApp;
    }

    /**
     * @param exception the exception
     * @param inApp the in-app rule
     * @return its tree
     */
    public static ExceptionNode read(Throwable exception, InAppFrames inApp) {
        ThrowableReader reader = new ThrowableReader(inApp);
        reader.seen.add(exception);
        return reader.node(exception);
    }

    /**
     * A failure without a {@link Throwable}: type {@code Error}, the message, and the
     * current stack (without this client's frames), marked synthetic.
     * @param message the message
     * @param inApp the in-app rule
     * @return a single node
     */
    public static ExceptionNode message(String message, InAppFrames inApp) {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        int start = 0;
        while (start < stack.length && InAppFrames.isClient(stack[start].getClassName())) {
            start++;
        }
        StackTraceElement[] caller = new StackTraceElement[stack.length - start];
        System.arraycopy(stack, start, caller, 0, caller.length);
        ThrowableReader reader = new ThrowableReader(inApp);
        return new ExceptionNode("Error", message, null, reader.frames(caller), true, Map.of(), List.of());
    }

    private ExceptionNode node(Throwable t) {
        this.count++;
        Class<?> type = t.getClass();
        String pkg = type.getPackageName();
        String name = type.getName();
        String simple = pkg.isEmpty() ? name : name.substring(pkg.length() + 1);
        List<Map<String, Object>> frames = frames(stackTrace(t));
        List<ExceptionNode.Child> children = new ArrayList<>(2);
        for (Throwable s : suppressed(t)) {
            if (this.count >= MAX_EXCEPTIONS) {
                break;
            }
            if (s != null && this.seen.add(s)) {
                children.add(new ExceptionNode.Child("suppressed", node(s)));
            }
        }
        Throwable cause = cause(t);
        if (cause != null && this.count < MAX_EXCEPTIONS && this.seen.add(cause)) {
            children.add(new ExceptionNode.Child("cause", node(cause)));
        }
        // A runtime exception, with its own stack or none: not synthetic.
        return new ExceptionNode(simple, message(t), pkg.isEmpty() ? null : pkg, frames, false, Map.of(),
                children.isEmpty() ? List.of() : children);
    }

    private List<Map<String, Object>> frames(StackTraceElement[] stack) {
        int n = Math.min(Math.min(stack.length, MAX_FRAMES), this.framesLeft);
        if (n <= 0) {
            return List.of();
        }
        List<Map<String, Object>> frames = new ArrayList<>(n);
        // stack[0] is the crash site: keep the n innermost, outermost of them first.
        for (int i = n - 1; i >= 0; i--) {
            StackTraceElement e = stack[i];
            if (e != null) {
                frames.add(frame(e));
            }
        }
        this.framesLeft -= frames.size();
        return frames;
    }

    private Map<String, Object> frame(StackTraceElement e) {
        Map<String, Object> f = new LinkedHashMap<>(8);
        String className = e.getClassName();
        f.put("platform", "java");
        f.put("function", e.getMethodName());
        f.put("module", className);
        String file = e.getFileName();
        if (file != null && !file.isEmpty()) {
            f.put("filename", file);
        }
        if (e.getLineNumber() >= 0) {
            f.put("lineno", e.getLineNumber());
        }
        f.put("in_app", this.inApp.isInApp(className));
        return f;
    }

    private static String message(Throwable t) {
        try {
            String message = t.getMessage();
            return (message != null) ? message : "";
        }
        catch (RuntimeException | LinkageError ex) {
            return "(the message could not be read: " + ex.getClass().getName() + ")";
        }
    }

    private static StackTraceElement[] stackTrace(Throwable t) {
        try {
            StackTraceElement[] stack = t.getStackTrace();
            return (stack != null) ? stack : new StackTraceElement[0];
        }
        catch (RuntimeException | LinkageError ex) {
            return new StackTraceElement[0];
        }
    }

    private static Throwable[] suppressed(Throwable t) {
        try {
            return t.getSuppressed();
        }
        catch (RuntimeException | LinkageError ex) {
            return new Throwable[0];
        }
    }

    private static @Nullable Throwable cause(Throwable t) {
        try {
            return t.getCause();
        }
        catch (RuntimeException | LinkageError ex) {
            return null;
        }
    }

}
