// The organization name and subdomain of a new organization, as the signup wizard and a partner's
// "new customer organization" form both ask for them: the subdomain follows the name until the person
// edits it, is checked locally as they type and then for availability on the server.
import { Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { $api } from '../api/client';

const SUBDOMAIN = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** A subdomain suggestion from an organization name: "Acme Labs GmbH" → "acme-labs-gmbh". */
export function suggestSubdomain(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
}

/** What is wrong with a subdomain before asking the server, or null. */
export function localSubdomainProblem(s: string): string | null {
  if (s.length < 3) return 'At least 3 characters';
  if (s.length > 32) return 'At most 32 characters';
  if (!SUBDOMAIN.test(s)) return 'Lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen';
  if (s.includes('--')) return 'No two hyphens in a row';
  return null;
}

/** Form validation for the two fields. */
export function organizationProblems(v: { organization: string; subdomain: string }) {
  return { organization: v.organization.trim().length >= 2 ? null : 'At least 2 characters', subdomain: localSubdomainProblem(v.subdomain) };
}

function SubdomainAvailability({ subdomain }: { subdomain: string }) {
  const [debounced] = useDebouncedValue(subdomain, 300);
  const check = $api.useQuery('get', '/subdomains/{slug}', { params: { path: { slug: debounced } } }, { enabled: !localSubdomainProblem(debounced), staleTime: 10_000 });
  if (localSubdomainProblem(subdomain) || debounced !== subdomain) return null;
  if (check.isPending) return <Text size="xs" c="dimmed">Checking…</Text>;
  if (!check.data) return null;
  return check.data.available ? (
    <Text size="xs" c="teal.7" data-testid="subdomain-availability">
      <IconCheck size={12} /> {subdomain} is available
    </Text>
  ) : (
    <Text size="xs" c="red.7" data-testid="subdomain-availability">
      <IconX size={12} /> {subdomain} {check.data.reason ?? 'is not available'}
    </Text>
  );
}

export function OrganizationFields<V extends { organization: string; subdomain: string }>({ form, autoFocus, subdomainHelp }: { form: UseFormReturnType<V>; autoFocus?: boolean; subdomainHelp: string }) {
  const [subdomainTouched, setSubdomainTouched] = useState(false);
  const organization = form.getInputProps('organization');
  const f = form as unknown as UseFormReturnType<{ organization: string; subdomain: string }>;
  return (
    <>
      <TextInput
        label="Organization name"
        required
        autoFocus={autoFocus}
        {...organization}
        onChange={(e) => {
          organization.onChange(e);
          if (!subdomainTouched) f.setFieldValue('subdomain', suggestSubdomain(e.currentTarget.value));
        }}
      />
      <TextInput
        label="Subdomain"
        required
        description={subdomainHelp}
        {...form.getInputProps('subdomain')}
        onChange={(e) => {
          setSubdomainTouched(true);
          f.setFieldValue('subdomain', e.currentTarget.value.toLowerCase());
        }}
      />
      <SubdomainAvailability subdomain={f.getValues().subdomain} />
    </>
  );
}

/** Form validation for the owner's account (name, e-mail, password) of a new organization. */
export function accountProblems(v: { name: string; email: string; password: string }) {
  return {
    name: v.name.trim() ? null : 'Enter a name',
    email: /^\S+@\S+\.\S+$/.test(v.email) ? null : 'Enter a valid e-mail address',
    password: v.password.length >= 10 ? null : 'At least 10 characters',
  };
}
