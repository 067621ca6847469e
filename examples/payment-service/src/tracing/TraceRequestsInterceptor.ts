import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { Observable } from 'rxjs';

/** The parts of Express's request and response this reads. */
interface HttpRequest {
  method: string;
  path: string;
  route?: { path?: string };
  headers: Record<string, string | string[] | undefined>;
}

const tracer = trace.getTracer('payment-service');

/**
 * A SERVER span per HTTP request, continuing the caller's `traceparent` if it sent one — what HTTP
 * instrumentation does, in a dozen lines, so the example needs no instrumentation packages. The
 * controller runs inside the span, so `outbox.sendEvent()` captures this request's trace. Without an
 * OpenTelemetry SDK registered, the API is a no-op and this costs nothing.
 */
@Injectable()
export class TraceRequestsInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = execution.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const parent = propagation.extract(context.active(), request.headers);
    const route = `${request.method} ${request.route?.path ?? request.path}`;
    const span = tracer.startSpan(route, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } }, parent);
    return new Observable((subscriber) => {
      // Subscribing inside the span's context runs the handler in it; AsyncLocalStorage carries it through awaits.
      const subscription = context.with(trace.setSpan(parent, span), () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
            span.setAttribute('http.response.status_code', status);
            if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
            subscriber.error(error);
          },
          complete: () => {
            span.setAttribute('http.response.status_code', http.getResponse<{ statusCode: number }>().statusCode);
            span.end();
            subscriber.complete();
          },
        }),
      );
      return () => subscription.unsubscribe();
    });
  }
}
