// Capacity verdicts and defensive parsing of Orka payloads (pure functions).
import { describe, expect, it } from 'vitest';
import { findCapacity } from '../../activities/orka/capacity';
import { errorMessageOf, items, parseMemoryGb, parseNode, parseVm, type OrkaNode, type OrkaVm } from '../../activities/orka/wire';

const node = (name: string, over: Partial<OrkaNode> = {}): OrkaNode => ({
  name,
  allocatableCpu: 12,
  availableCpu: 12,
  allocatableMemoryGb: 32,
  availableMemoryGb: 32,
  phase: 'READY',
  tags: [],
  arch: 'arm64',
  ...over,
});
const vmOn = (n: string): OrkaVm => ({ name: `vm-on-${n}-${Math.random().toString(36).slice(2, 7)}`, node: n, status: 'Running', type: 'arm64' });
const need = { cpu: 4, memoryGb: 8, arch: 'arm64' };

describe('findCapacity', () => {
  it('picks the ready host with the most free vCPUs', () => {
    expect(findCapacity([node('a', { availableCpu: 6 }), node('b', { availableCpu: 10 }), node('c', { availableCpu: 12, phase: 'NOT READY' })], [], need)).toEqual({ ok: true, node: 'b' });
  });

  it('names the shortage: hosts, vCPUs, memory, Apple’s two-VM limit', () => {
    expect(findCapacity([], [], need)).toEqual({ ok: false, reason: 'no macOS host is available to us on Orka right now' });
    expect(findCapacity([node('a', { phase: 'NOT READY' })], [], need)).toEqual({ ok: false, reason: 'no macOS host is online right now' });
    expect(findCapacity([node('a', { availableCpu: 3 })], [], need)).toEqual({ ok: false, reason: 'no macOS host with 4 free vCPUs right now' });
    expect(findCapacity([node('a', { availableMemoryGb: 7.5 })], [], need)).toEqual({ ok: false, reason: 'no macOS host with 4 free vCPUs and 8 GB of free memory right now' });
    expect(findCapacity([node('a')], [vmOn('a'), vmOn('a')], need)).toEqual({ ok: false, reason: "every macOS host with room already runs 2 VMs (Apple's limit per Mac)" });
    expect(findCapacity([node('a'), node('b')], [vmOn('a'), vmOn('a'), vmOn('b')], need)).toEqual({ ok: true, node: 'b' });
  });

  it('ignores hosts of another architecture, and compares phase case-insensitively', () => {
    expect(findCapacity([node('intel', { arch: 'amd64' })], [], need)).toMatchObject({ ok: false });
    expect(findCapacity([node('a', { phase: 'Ready' })], [], need)).toEqual({ ok: true, node: 'a' });
  });
});

describe('Orka wire parsing', () => {
  it('reads memory in the forms Orka and its clients use, as GiB', () => {
    expect(parseMemoryGb('8.00G')).toBe(8);
    expect(parseMemoryGb('28Gi')).toBe(28);
    expect(parseMemoryGb('8192M')).toBe(8);
    expect(parseMemoryGb(12)).toBe(12);
    expect(parseMemoryGb('30')).toBe(30);
    expect(parseMemoryGb('lots')).toBeUndefined();
  });

  it('accepts an items wrapper or a bare array', () => {
    expect(items({ items: [1, 2] })).toEqual([1, 2]);
    expect(items([3])).toEqual([3]);
    expect(items({ message: 'x' })).toEqual([]);
  });

  it('takes ports as numbers or strings, node IPs from ip or nodeIP', () => {
    expect(parseVm({ name: 'a', ip: '10.0.0.1', ssh_port: '8823', vnc: 5999, memory: '8.00G', status: 'Running' })).toMatchObject({ name: 'a', ip: '10.0.0.1', ssh: 8823, vnc: 5999, memoryGb: 8 });
    expect(parseVm({ name: 'p', status: 'Pending' })).toMatchObject({ name: 'p', status: 'Pending', ip: undefined, ssh: undefined });
    expect(parseNode({ name: 'n', nodeIP: '10.0.0.2', availableCpu: 4, availableMemory: '20.00G', phase: 'READY' })).toMatchObject({ ip: '10.0.0.2', availableCpu: 4, availableMemoryGb: 20 });
  });

  it('finds the message of a Status body, an Orka 2 errors list, or plain text', () => {
    expect(errorMessageOf('{"kind":"Status","message":"vm not found","reason":"NotFound"}')).toEqual({ message: 'vm not found', reason: 'NotFound' });
    expect(errorMessageOf('{"errors":[{"message":"invalid signature"}]}')).toEqual({ message: 'invalid signature' });
    expect(errorMessageOf('<html><h1>502 Bad Gateway</h1></html>')).toEqual({ message: '502 Bad Gateway' });
    expect(errorMessageOf('')).toEqual({ message: 'empty response' });
  });
});
