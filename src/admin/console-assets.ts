import { Injectable } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULE_FILE = /^[a-z][a-z-]*\.js$/;

/**
 * The console's browser modules (src/admin/browser), served under /admin/assets.
 *
 * `npm run build` compiles them with their own tsconfig (DOM, no Node) into
 * dist/src/admin/browser, beside this file's compiled form, and that is what a
 * built Herald serves. When Herald runs from its TypeScript sources instead (the
 * tests start it through ts-jest), the folder beside this file holds only the
 * sources: each module is then transpiled on first request with the same compiler
 * options. So tests always run the current browser code without a build step, and
 * nothing is written to disk while several suites run at once. Types are checked
 * by `npm run typecheck` and by the build, not here.
 */
@Injectable()
export class ConsoleAssets {
  private readonly directory = fileURLToPath(new URL('./browser/', import.meta.url));
  private readonly compiled: boolean;
  private readonly names: Set<string>;
  private readonly scripts = new Map<string, Promise<string>>();

  constructor() {
    const files = readdirSync(this.directory);
    this.compiled = files.some((file) => file.endsWith('.js'));
    const sources = this.compiled ? files.filter((file) => file.endsWith('.js')) : files.filter((file) => /^[^.]+\.ts$/.test(file));
    this.names = new Set(sources.map((file) => file.replace(/\.ts$/, '.js')));
  }

  /** A module's JavaScript by its file name (`posts.js`), or null when there is no such module. */
  script(file: string): Promise<string | null> {
    if (!MODULE_FILE.test(file) || !this.names.has(file)) return Promise.resolve(null);
    let script = this.scripts.get(file);
    if (!script) {
      script = this.compiled ? readFile(join(this.directory, file), 'utf8') : this.transpile(file.replace(/\.js$/, '.ts'));
      // A failed read is not kept: the next request tries again.
      script.catch(() => this.scripts.delete(file));
      this.scripts.set(file, script);
    }
    return script;
  }

  private async transpile(source: string): Promise<string> {
    // Only when running from sources: a built Herald (and its production image, without dev dependencies) never loads the compiler.
    const { default: ts } = await import('typescript');
    const configFile = join(this.directory, 'tsconfig.json');
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, this.directory, undefined, configFile);
    const text = await readFile(join(this.directory, source), 'utf8');
    return ts.transpileModule(text, { compilerOptions: options, fileName: source }).outputText;
  }
}
