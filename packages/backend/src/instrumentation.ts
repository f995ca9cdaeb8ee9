/*
 * Metrics for the people who run the portal. Backstage's metrics service
 * hands every plugin a meter from OpenTelemetry's global meter provider;
 * this sets that provider up, with a Prometheus exporter that serves
 * http://<host>:9464/metrics (PROMETHEUS_METRICS_PORT moves it, `off`
 * turns it off). Imported first in index.ts: plugins take their meters
 * when the backend starts.
 * https://backstage.io/docs/tutorials/setup-opentelemetry
 */
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

const port = process.env.PROMETHEUS_METRICS_PORT ?? '9464';
if (port !== 'off') {
  if (!/^\d+$/.test(port)) {
    throw new Error(
      `PROMETHEUS_METRICS_PORT must be a port number or "off", not "${port}"`,
    );
  }
  const exporter = new PrometheusExporter({ port: Number(port) });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
}
