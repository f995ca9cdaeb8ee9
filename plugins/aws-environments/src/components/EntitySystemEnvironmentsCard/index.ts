export { EntitySystemEnvironmentsCard } from './EntitySystemEnvironmentsCard';
