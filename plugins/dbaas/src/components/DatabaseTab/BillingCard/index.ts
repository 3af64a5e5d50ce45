export { BillingCard } from './BillingCard';
export { EntityBillingCard } from './EntityBillingCard';
