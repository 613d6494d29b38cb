import { SpanStatusCode, type Tracer, type TracerProvider } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace-node";

export interface TracingOptions {
  /** The collector's OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName?: string;
  /** How long finished spans wait to be sent together (OpenTelemetry's default: 5 s). */
  exportDelayMs?: number;
  /** Makes this the process's tracer provider and context manager, so spans nest across async calls (start-up, not tests). */
  register?: boolean;
}

export interface Tracing {
  provider: TracerProvider;
  /** Sends every finished span now. */
  forceFlush(): Promise<void>;
  /** Sends what is left and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts sending traces over OTLP/HTTP: Fedify's spans (given the provider)
 * and our services'. The SDK and the exporter are loaded here, so that an
 * instance without a collector never loads them.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, NodeTracerProvider }] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace-node"),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName ?? "connexo" }),
    // Redacted before anything is sent.
    spanProcessors: [redactSecrets, new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.exportDelayMs ?? 5000 })],
  });
  if (options.register) provider.register();
  return { provider, forceFlush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

/** Headers Fedify records on its spans that carry secrets: sessions, API tokens. */
const SECRET_ATTRIBUTE = /^http\.(request|response)\.header\.(cookie|set-cookie|authorization|proxy-authorization)$/;
/** Addresses whose last segment is a secret: one-time setup and invitation links. */
const SECRET_PATH = /\/(setup|invitations)\/[^/?#]+/g;

/** Overwrites secrets in a span's attributes as it ends, before it reaches an exporter. */
const redactSecrets: SpanProcessor = {
  onStart() {},
  onEnding(span: Span) {
    for (const [key, value] of Object.entries(span.attributes)) {
      if (SECRET_ATTRIBUTE.test(key)) span.setAttribute(key, ["[redacted]"]);
      else if (typeof value === "string") {
        const redacted = value.replace(SECRET_PATH, "/$1/[redacted]");
        if (redacted !== value) span.setAttribute(key, redacted);
      }
    }
  },
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * The services with a span around every method call, named
 * `service.<service>.<method>`. Without a tracer provider the services come
 * back as they are: nothing is wrapped, nothing costs anything.
 */
export function traceServices<T extends object>(services: T, provider: TracerProvider | null | undefined): T {
  if (!provider) return services;
  const tracer = provider.getTracer("connexo");
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(services, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || value === null || typeof value !== "object") return value;
      if (!wrapped.has(key)) wrapped.set(key, traceMethods(value, `service.${key}`, tracer));
      return wrapped.get(key);
    },
  });
}

/** An object whose methods each run in a span named `<prefix>.<method>`; they still run on the object itself. */
function traceMethods<T extends object>(service: T, prefix: string, tracer: Tracer): T {
  const wrapped = new Map<string, unknown>();
  return new Proxy(service, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof key !== "string" || typeof value !== "function" || key === "constructor") return value;
      let traced = wrapped.get(key);
      if (!traced) {
        const name = `${prefix}.${key}`;
        traced = (...args: unknown[]) =>
          tracer.startActiveSpan(name, (span) => {
            const failed = (error: unknown) => {
              span.recordException(error instanceof Error ? error : String(error));
              span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : undefined });
              span.end();
            };
            try {
              const result = (value as (...a: unknown[]) => unknown).apply(target, args);
              if (result instanceof Promise) {
                return result.then(
                  (resolved) => {
                    span.end();
                    return resolved;
                  },
                  (error: unknown) => {
                    failed(error);
                    throw error;
                  },
                );
              }
              span.end();
              return result;
            } catch (error) {
              failed(error);
              throw error;
            }
          });
        wrapped.set(key, traced);
      }
      return traced;
    },
  });
}
