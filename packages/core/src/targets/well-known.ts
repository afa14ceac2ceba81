/**
 * Sensitive targets the NSA/CISA hardening guidance names: cloud metadata services and the control
 * plane's ports. These are facts about platforms, kept in one table.
 */
import type { Severity } from '../base/types.js';

/** A cloud metadata address and the clouds that use it. */
export interface MetadataAddress {
  readonly address: string;
  readonly provider: string;
}

/** Clouds whose metadata addresses `--cloud` narrows the metadata target to. */
export type Cloud = 'aws' | 'gcp' | 'azure' | 'alibaba' | 'openstack';
/** Every {@link Cloud}. */
export const CLOUDS: readonly Cloud[] = ['aws', 'gcp', 'azure', 'alibaba', 'openstack'];

/**
 * Each cloud's instance metadata addresses (from each provider's documentation): AWS IMDS on
 * 169.254.169.254 and, on Nitro instances with IPv6, fd00:ec2::254; GCP's metadata server and
 * Azure's IMDS on 169.254.169.254; Alibaba Cloud's on 100.100.100.200; OpenStack's metadata service
 * on 169.254.169.254 (and fe80::a9fe:a9fe on IPv6-only networks).
 */
export const CLOUD_METADATA: Readonly<Record<Cloud, readonly string[]>> = {
  aws: ['169.254.169.254', 'fd00:ec2::254'],
  gcp: ['169.254.169.254'],
  azure: ['169.254.169.254'],
  alibaba: ['100.100.100.200'],
  openstack: ['169.254.169.254', 'fe80::a9fe:a9fe'],
};

/** The built-in cloud metadata addresses. */
export const METADATA_ADDRESSES: readonly MetadataAddress[] = [
  { address: '169.254.169.254', provider: 'AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle Cloud' },
  { address: 'fd00:ec2::254', provider: 'AWS (IPv6)' },
  { address: '100.100.100.200', provider: 'Alibaba Cloud' },
];

/** A control-plane component with well-known ports. */
export type Component = 'apiserver' | 'apiserver-insecure' | 'etcd' | 'kubelet' | 'controller-manager' | 'scheduler' | 'cloud-controller-manager' | 'nodeport';

/** A well-known port of a control-plane component, and the severity of reaching it. */
export interface ComponentPort {
  readonly component: Component;
  readonly label: string;
  readonly lo: number;
  readonly hi: number;
  /** Severity of a workload (outside kube-system) reaching it. */
  readonly severity: Severity;
  /** Where it listens: on control-plane nodes only, or on every node. */
  readonly on: 'control-plane' | 'every-node';
}

/** TCP ports of the control plane and the nodes. */
export const COMPONENT_PORTS: readonly ComponentPort[] = [
  { component: 'apiserver', label: 'API server', lo: 6443, hi: 6443, severity: 'low', on: 'control-plane' },
  { component: 'apiserver-insecure', label: 'API server insecure port', lo: 8080, hi: 8080, severity: 'high', on: 'control-plane' },
  { component: 'etcd', label: 'etcd', lo: 2379, hi: 2380, severity: 'high', on: 'control-plane' },
  { component: 'kubelet', label: 'kubelet API', lo: 10250, hi: 10250, severity: 'high', on: 'every-node' },
  { component: 'controller-manager', label: 'kube-controller-manager', lo: 10257, hi: 10257, severity: 'high', on: 'control-plane' },
  { component: 'controller-manager', label: 'kube-controller-manager (legacy insecure port)', lo: 10252, hi: 10252, severity: 'high', on: 'control-plane' },
  { component: 'scheduler', label: 'kube-scheduler', lo: 10259, hi: 10259, severity: 'high', on: 'control-plane' },
  { component: 'scheduler', label: 'kube-scheduler (legacy insecure port)', lo: 10251, hi: 10251, severity: 'high', on: 'control-plane' },
  { component: 'cloud-controller-manager', label: 'cloud-controller-manager', lo: 10258, hi: 10258, severity: 'high', on: 'control-plane' },
  { component: 'nodeport', label: 'NodePort range', lo: 30000, hi: 32767, severity: 'info', on: 'every-node' },
];

/** Target words accepted by `who-can-reach` and `paths`. */
export type TargetWord = 'metadata' | 'control-plane' | 'etcd' | 'kubelet';
/** Every {@link TargetWord}. */
export const TARGET_WORDS: readonly TargetWord[] = ['metadata', 'control-plane', 'etcd', 'kubelet'];
