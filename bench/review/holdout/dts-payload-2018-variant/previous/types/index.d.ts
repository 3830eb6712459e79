import { Stream } from 'stream';

/** Maps each chunk to zero or more chunks. */
declare function flatMap<T, U>(mapper: (chunk: T) => U | U[] | null | undefined): Stream;

export = flatMap;
