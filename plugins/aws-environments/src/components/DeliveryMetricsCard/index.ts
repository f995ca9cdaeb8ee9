export { DeliveryMetricsCard } from './DeliveryMetricsCard';
