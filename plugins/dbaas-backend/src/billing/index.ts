export * from './BillingSettings';
export * from './money';
export * from './TenantCostAllocator';
export * from './monthReport';
export * from './budgets';
export * from './csv';
