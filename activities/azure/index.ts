// The Azure provider for the rest of the project: build it with createAzureProvider(deps) where
// deps.azure = azurePlatformConfig(config.azure) (AZURE_* variables plus AZURE_CA_CERT_FILE).
export { createAzureProvider, type AzureProvider, type AzureProviderDeps, type CredentialVerdict } from './provider';
export { azurePlatformConfig, type AzurePlatformConfig } from './credentials';
export { azureNames, type AzureNames } from './names';
export { APP_VM_TEMPLATE } from './template';
