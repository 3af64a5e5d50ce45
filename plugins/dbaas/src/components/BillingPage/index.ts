export { BillingPage, NfsBillingPage } from './BillingPage';
