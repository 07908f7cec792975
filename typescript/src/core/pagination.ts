/**
 * Paginated lists. `await client.agents.list()` is one `Page`; `for await (const agent
 * of client.agents.list())` walks every item of every page, fetching pages lazily.
 */

/** One page of a paginated list. */
export class Page<T> implements AsyncIterable<T> {
  readonly data: T[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly #fetch: ((offset: number) => Promise<Page<T>>) | undefined;

  constructor(
    data: T[],
    meta: { total: number; offset: number; limit: number },
    fetch?: (offset: number) => Promise<Page<T>>,
  ) {
    this.data = data;
    this.total = meta.total;
    this.offset = meta.offset;
    this.limit = meta.limit;
    this.#fetch = fetch;
  }

  hasNextPage(): boolean {
    return this.data.length > 0 && this.offset + this.data.length < this.total;
  }

  /** The page after this one, or undefined at the end. */
  async nextPage(): Promise<Page<T> | undefined> {
    if (!this.#fetch || !this.hasNextPage()) return undefined;
    return this.#fetch(this.offset + this.data.length);
  }

  /** This page and every following page. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> | undefined = this;
    while (page) {
      yield page;
      page = await page.nextPage();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}

/**
 * What a list operation returns: a promise of its first `Page` that is also an async
 * iterable over every item of every page.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  #promise: Promise<Page<T>> | undefined;
  readonly #load: () => Promise<Page<T>>;

  constructor(load: () => Promise<Page<T>>) {
    this.#load = load;
  }

  #first(): Promise<Page<T>> {
    this.#promise ??= this.#load();
    return this.#promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is awaited like a promise.
  then<R1 = Page<T>, R2 = never>(
    onFulfilled?: ((page: Page<T>) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#first().then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null) {
    return this.#first().catch(onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const page = await this.#first();
    yield* page;
  }
}
