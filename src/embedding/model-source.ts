/**
 * Where a CLIP model comes from: a Hugging Face hub id (optionally from a host that mirrors the
 * hub's URL layout), an http(s) or same-origin URL of a model folder, or a filesystem path (Node).
 * The result is the transformers.js `env` patch to apply while loading, and the stable id.
 */
import { EmbeddingOptionError } from './errors.ts';

export const HUB_HOST = 'https://huggingface.co/';
export const HUB_PATH_TEMPLATE = '{model}/resolve/{revision}/';

export interface ModelSourceOptions {
  /** Hub id ("Xenova/clip-vit-base-patch32"), folder URL ("https://cdn.example/models/clip/", "/models/tiny-clip"), or a path (Node). */
  readonly model: string;
  /** Git revision on the hub, or the version label of a folder (default "main"); part of the cache key. */
  readonly revision?: string;
  /** Base URL that serves hub ids in the hub's layout (default https://huggingface.co/). */
  readonly remoteHost?: string;
  readonly remotePathTemplate?: string;
}

export interface ModelSource {
  readonly kind: 'hub' | 'url' | 'path';
  /** What to pass to from_pretrained. */
  readonly name: string;
  readonly revision: string;
  /** Stable identity (model + revision): the embedding cache key and the FeatureTable encoder. */
  readonly id: string;
  readonly env: {
    readonly allowLocalModels: boolean;
    readonly allowRemoteModels: boolean;
    readonly localModelPath: string;
    readonly remoteHost: string;
    readonly remotePathTemplate: string;
  };
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** Splits a folder URL into (parent URL, last segment): transformers.js loads `{parent}{name}/{file}`. */
function splitFolderUrl(url: string): { parent: string; name: string } {
  const trimmed = url.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return { parent: trimmed.slice(0, cut + 1), name: trimmed.slice(cut + 1) };
}

/**
 * `isBrowser` decides what a leading "/" or "./" means: a same-origin URL in a page or worker,
 * a filesystem path in Node. `baseUrl` resolves relative URLs (location.href by default).
 */
export function resolveModelSource(options: ModelSourceOptions, isBrowser: boolean, baseUrl?: string): ModelSource {
  const model = options.model.trim();
  const revision = options.revision ?? 'main';
  if (model === '') throw new EmbeddingOptionError('model', options.model, 'a hub id, a folder URL or a local path');
  const remoteHost = options.remoteHost ?? HUB_HOST;
  const remotePathTemplate = options.remotePathTemplate ?? HUB_PATH_TEMPLATE;
  const looksLikePath = /^(\/|\.\.?\/|[A-Za-z]:\\)/.test(model);
  if (isUrl(model) || (isBrowser && looksLikePath)) {
    const absolute = new URL(model, baseUrl ?? (globalThis as { location?: { readonly href: string } }).location?.href).href;
    const { parent, name } = splitFolderUrl(absolute);
    // Served as a "remote" host whose layout is just {model}/: transformers.js 4.3 skips its
    // local-model existence checks for http(s) local paths, so a folder URL cannot go through them.
    return {
      kind: 'url',
      name,
      revision,
      id: `${name}@${revision}`,
      env: { allowLocalModels: false, allowRemoteModels: true, localModelPath: '', remoteHost: parent, remotePathTemplate: '{model}/' },
    };
  }
  if (looksLikePath || !HUB_ID.test(model)) {
    if (isBrowser) throw new EmbeddingOptionError('model', model, 'a hub id ("owner/name") or a folder URL');
    const name = model.replace(/[\\/]+$/, '');
    const base = name.split(/[\\/]/).pop() ?? name;
    return {
      kind: 'path',
      name,
      revision,
      id: `${base}@${revision}`,
      env: { allowLocalModels: true, allowRemoteModels: false, localModelPath: '', remoteHost, remotePathTemplate },
    };
  }
  return {
    kind: 'hub',
    name: model,
    revision,
    id: `${model}@${revision}`,
    env: { allowLocalModels: false, allowRemoteModels: true, localModelPath: '', remoteHost, remotePathTemplate },
  };
}
