export * from './TenantDirectory';
export * from './ConfigTenantDirectory';
export * from './CatalogTenantDirectory';
