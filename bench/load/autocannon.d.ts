// The part of autocannon's programmatic API the load worker uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  }
  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    /** requests to make in all, shared among the connections */
    amount?: number;
    /** seconds before a request counts as timed out */
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: Request[];
  }
  export interface Instance extends EventEmitter {
    stop(): void;
  }
  export default function autocannon(opts: Options, done: (error: Error | null, result: unknown) => void): Instance;
}
