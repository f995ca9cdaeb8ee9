export { EntityAwsEnvironmentsContent } from './EntityAwsEnvironmentsContent';
