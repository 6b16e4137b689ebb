import type { EmbedConfig } from './config.ts';

/** A tag configuration for unit tests: a food page of a shop at shop.example. */
export const testConfig = (dbName: string): EmbedConfig => ({
  catalogUrl: 'https://shop.example/catalog.json',
  modelUrl: 'https://shop.example/model.json',
  domain: 'food',
  defaultConsent: true,
  dbName,
  workerUrl: 'https://shop.example/embed-worker.js',
  workerMode: 'dedicated',
  retention: {},
});
