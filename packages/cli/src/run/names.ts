// The identifiers a runtime must check before it runs any plugin (libcni's pkg/utils validation):
// they end up in file names (the result cache, host-local's state) and in interface names.
import { CniError, ErrorCode } from '@cni-ts/skel';

/** Container ids and network names: the same pattern skel enforces on the plugin side. */
const identifier = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** IFNAMSIZ (16) minus the trailing NUL. */
const maxIfNameLength = 15;

export function validateContainerId(containerId: string): void {
  if (containerId === '') throw new CniError(ErrorCode.UnknownContainer, 'missing containerID');
  if (!identifier.test(containerId)) {
    throw new CniError(ErrorCode.InvalidEnvironmentVariables, 'invalid characters in containerID', containerId);
  }
}

export function validateNetworkName(name: string): void {
  if (name === '') throw new CniError(ErrorCode.InvalidNetworkConfig, 'missing network name:');
  if (!identifier.test(name)) {
    throw new CniError(ErrorCode.InvalidNetworkConfig, 'invalid characters found in network name', name);
  }
}

export function validateIfName(ifName: string): void {
  const bad = (msg: string, details?: string) => new CniError(ErrorCode.InvalidEnvironmentVariables, msg, details);
  if (ifName === '') throw bad('interface name is empty');
  if (ifName.length > maxIfNameLength) {
    throw bad('interface name is too long', `interface name should be less than ${maxIfNameLength + 1} characters`);
  }
  if (ifName === '.' || ifName === '..') throw bad('interface name is . or ..');
  if (/[/:\s]/u.test(ifName)) throw bad('interface name contains / or : or whitespace characters');
}
