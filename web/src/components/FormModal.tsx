// A dialog holding one small form: validation on the fields, the API's field errors put back onto them
// (applyApiErrors), the rest shown above the submit button, and the dialog closed only on success.
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useState, type ReactNode } from 'react';
import { applyApiErrors } from './forms';

export function FormModal<V>({
  title,
  form,
  submitLabel,
  onSubmit,
  onClose,
  fieldMap,
  children,
}: {
  title: ReactNode;
  form: UseFormReturnType<V>;
  submitLabel: string;
  /** Does the work; throwing an ApiError keeps the dialog open with its messages on the fields. */
  onSubmit: (values: V) => Promise<void>;
  onClose: () => void;
  /** API field names → form paths, where they differ. */
  fieldMap?: Record<string, string>;
  children: ReactNode;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(values: V) {
    setError(undefined);
    setPending(true);
    try {
      await onSubmit(values);
      onClose();
    } catch (err) {
      setError(applyApiErrors(form, err, fieldMap));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={title}>
      <form onSubmit={form.onSubmit((v) => void submit(v as V))} noValidate>
        <Stack>
          {children}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
