import { createRequire } from 'node:module';

/** The OpenTelemetry API module's type; the package is an optional peer, only its types are needed to build. */
export type OtelApi = typeof import('@opentelemetry/api');

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` if the application installed it, else `undefined` (and tracing does nothing).
 * Loaded on first use, not at import, so the package imports without it. The API keeps its state in
 * one global, so this copy sees the SDK the application registered, whichever module format it used.
 */
export function otelApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * The tracer named `name` if an SDK registered a tracer provider, else `undefined`: without one every
 * span is a no-op, so a caller may skip building what the span would carry (links, attributes) for
 * nothing, per broker batch. An API whose global provider cannot tell (not the API's own proxy) gets
 * its tracer as usual.
 */
export function registeredTracer(api: OtelApi, name: string): ReturnType<OtelApi['trace']['getTracer']> | undefined {
  const provider = api.trace.getTracerProvider() as { getDelegateTracer?: (name: string) => ReturnType<OtelApi['trace']['getTracer']> | undefined };
  return typeof provider.getDelegateTracer === 'function' ? provider.getDelegateTracer(name) : api.trace.getTracer(name);
}

/**
 * Whether nothing of a message's trace could be captured now: no SDK registered a tracer provider and
 * no valid span is active (a propagator alone can still carry an incoming trace, so an active span
 * context counts). Then the publisher skips the span work for every message, at no cost to what is stored.
 */
export function nothingToTrace(api: OtelApi, name: string): boolean {
  if (registeredTracer(api, name) !== undefined) return false;
  const active = api.trace.getSpanContext(api.context.active());
  return active === undefined || !api.trace.isSpanContextValid(active);
}
