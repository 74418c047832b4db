// Placeholder entry until the plugin is built on @cni-ts/skel.
declare const __CNI_TS_VERSION__: string;
process.stdout.write(JSON.stringify({ cniVersion: '1.1.0', supportedVersions: ['1.1.0'], version: __CNI_TS_VERSION__ }) + '\n');
