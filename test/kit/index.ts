/** The test kit: fakes of QuickBooks and HubSpot, invoice builders, credentials, a one-node runner. */
export * from './credentials';
export * from './hubspot';
export * from './invoices';
export * from './quickbooks';
export * from './syncItems';
export * from './workflow';
