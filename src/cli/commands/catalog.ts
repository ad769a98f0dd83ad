// gantry catalog …: thin commands over the catalog library (validate now; render, query, graph follow).
import type { Command } from 'commander';
import { checkCatalog } from '../../catalog/validate-catalog.js';
import { renderIssueTree } from '../../catalog/model/issue-tree.js';
import { openCatalogSource } from '../catalog-source.js';
import type { CliContext } from '../context.js';
import { GantryError } from '../../errors.js';
import { registerCatalogQueries } from './catalog-query.js';

export function registerCatalog(program: Command, ctx: CliContext): void {
  const catalog = program.command('catalog').description('file-based catalogs: validate, render, query');
  registerCatalogQueries(catalog, ctx);

  catalog
    .command('validate')
    .description('check a catalog against every rule opm applies; all problems in one run, with file and line')
    .argument('<catalog>', 'a directory, a file, - for stdin, or an http(s) URL')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (ref: string, opts: { output: string }) => {
      if (!['text', 'json'].includes(opts.output)) throw new GantryError('USAGE', `unknown output format "${opts.output}"`, { hint: 'use text or json' });
      const report = await checkCatalog(await openCatalogSource(ref, { stdin: process.stdin, signal: ctx.signal }), { signal: ctx.signal });
      const c = report.counts;
      if (opts.output === 'json') {
        const { config: _config, ...rest } = report;
        ctx.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
      } else {
        if (report.issues.length > 0) ctx.stdout.write(renderIssueTree(report.issues, report.passed ? 'catalog has warnings' : 'invalid catalog'));
        const summary = `${c.packages} packages, ${c.channels} channels, ${c.bundles} bundles in ${c.files} files`;
        const tally = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
        ctx.stdout.write(report.passed ? `catalog is valid: ${summary} (${tally})\n` : `catalog is invalid: ${tally} (${summary})\n`);
      }
      ctx.exitCode = report.passed ? 0 : 1;
    });
}
