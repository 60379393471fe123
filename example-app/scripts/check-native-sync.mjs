#!/usr/bin/env node
// Checks what `npx cap sync` generated: both native projects link the plugin from this
// repository (Gradle project and SPM package by path), register its plugin class, and carry
// the built web app. Run after `npm run build && npm run cap -- sync`; exits non-zero on a gap.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(app, '..');
const problems = [];
const read = (path) =>
  existsSync(path) ? readFileSync(path, 'utf8') : (problems.push(`missing ${relative(repo, path)}`), '');
const expect = (ok, problem) => ok || problems.push(problem);

// ---- Android --------------------------------------------------------------------------------
const android = join(app, 'android');
const settings = read(join(android, 'capacitor.settings.gradle'));
expect(
  settings.includes("include ':capacitor-juspay-customer'"),
  "capacitor.settings.gradle does not include ':capacitor-juspay-customer'",
);
const projectDir = /project\(':capacitor-juspay-customer'\)\.projectDir = new File\('([^']+)'\)/.exec(settings)?.[1];
expect(projectDir !== undefined, 'capacitor.settings.gradle gives no projectDir for :capacitor-juspay-customer');
if (projectDir !== undefined) {
  const dir = resolve(android, projectDir);
  expect(dir === join(repo, 'android'), `:capacitor-juspay-customer points at ${dir}, not this repository's android/`);
  expect(existsSync(join(dir, 'build.gradle')), `${relative(repo, dir)}/build.gradle is missing`);
}
const appGradle = read(join(android, 'app', 'capacitor.build.gradle'));
expect(
  appGradle.includes("implementation project(':capacitor-juspay-customer')"),
  "app/capacitor.build.gradle does not depend on project(':capacitor-juspay-customer')",
);
const plugins = JSON.parse(read(join(android, 'app/src/main/assets/capacitor.plugins.json')) || '[]');
const entry = plugins.find((p) => p.pkg === 'capacitor-juspay-customer');
expect(entry !== undefined, 'capacitor.plugins.json does not list capacitor-juspay-customer');
if (entry) {
  const source = join(repo, 'android/src/main/kotlin', `${entry.classpath.replaceAll('.', '/')}.kt`);
  expect(
    /@CapacitorPlugin\(name = "JuspayCustomer"\)/.test(read(source)),
    `${entry.classpath} is not a @CapacitorPlugin named JuspayCustomer`,
  );
}

// ---- iOS ------------------------------------------------------------------------------------
const spm = join(app, 'ios/App/CapApp-SPM');
const manifest = read(join(spm, 'Package.swift'));
const packagePath = /\.package\(name: "CapacitorJuspayCustomer", path: "([^"]+)"\)/.exec(manifest)?.[1];
expect(packagePath !== undefined, 'CapApp-SPM/Package.swift has no path package named CapacitorJuspayCustomer');
if (packagePath !== undefined) {
  const dir = resolve(spm, packagePath);
  expect(dir === repo, `CapApp-SPM's CapacitorJuspayCustomer package points at ${dir}, not this repository`);
  const plugin = read(join(dir, 'Package.swift'));
  expect(
    /name: "CapacitorJuspayCustomer"/.test(plugin),
    "the repository's Package.swift is not named CapacitorJuspayCustomer",
  );
}
expect(
  manifest.includes('.product(name: "CapacitorJuspayCustomer", package: "CapacitorJuspayCustomer")'),
  'the CapApp-SPM target does not depend on the CapacitorJuspayCustomer product',
);
const iosConfig = JSON.parse(read(join(app, 'ios/App/App/capacitor.config.json')) || '{}');
expect(
  (iosConfig.packageClassList ?? []).includes('JuspayCustomerPlugin'),
  'ios capacitor.config.json does not register JuspayCustomerPlugin',
);
expect(
  /@objc\(JuspayCustomerPlugin\)/.test(read(join(repo, 'ios/Sources/JuspayCustomerPlugin/JuspayCustomerPlugin.swift'))),
  'ios/Sources has no @objc(JuspayCustomerPlugin) class',
);

// ---- the web app in both -------------------------------------------------------------------
const built = read(join(app, 'dist/index.html'));
for (const copy of ['android/app/src/main/assets/public/index.html', 'ios/App/App/public/index.html']) {
  expect(read(join(app, copy)) === built && built !== '', `${copy} is not the built dist/index.html`);
}

if (problems.length) {
  console.error(`cap sync did not link the plugin as expected:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'cap sync: android links :capacitor-juspay-customer from android/, iOS links CapacitorJuspayCustomer from the repository root',
);
