/**
 * Where an encoder rebuilt from its config finds the assets `saveAssets` wrote:
 * `assetsDir` names the folder; `assetFiles`, when given, holds its files
 * already read (a browser fetched them: there is no file system to read). So
 * one constructor serves Node (`loadModel(dir)`) and the browser
 * (`loadModelFromUrl`), and only `fileAccess` differs between the two.
 */
import { fileAccess, joinPath } from '@spanrel/tensor-core';

/** The files of an assets folder by '/'-separated path relative to it, e.g. `vocabulary.json`, `contextual/vocabulary.json`. */
export type AssetFiles = ReadonlyMap<string, Uint8Array>;

/** The asset fields of an encoder config (never part of `config()`: whoever rebuilds adds them). */
export interface EncoderAssetsLocation {
  /** The assets folder (a path in Node; in a browser, its URL, named in errors). */
  assetsDir?: string;
  /** Its files, already read: then nothing is read from `assetsDir`. */
  assetFiles?: AssetFiles;
}

/** The bytes of `name` in the assets; throws naming the file when it is missing. */
export function readAsset(location: EncoderAssetsLocation & { assetsDir: string }, name: string): Uint8Array {
  const path = joinPath(location.assetsDir, name);
  if (location.assetFiles) {
    const bytes = location.assetFiles.get(name);
    if (!bytes) throw new Error(`${path}: not among the asset files given (${[...location.assetFiles.keys()].join(', ') || 'none'})`);
    return bytes;
  }
  return fileAccess.readFile(path);
}

/** The location of the sub-folder `folder` (e.g. the contextual encoder's assets). */
export function subfolderAssets(location: EncoderAssetsLocation & { assetsDir: string }, folder: string): EncoderAssetsLocation & { assetsDir: string } {
  const assetsDir = joinPath(location.assetsDir, folder);
  if (!location.assetFiles) return { assetsDir };
  const prefix = `${folder}/`;
  const assetFiles = new Map([...location.assetFiles].filter(([name]) => name.startsWith(prefix)).map(([name, bytes]) => [name.slice(prefix.length), bytes]));
  return { assetsDir, assetFiles };
}
