import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/form-errors.ts';
import { useI18n } from '../../lib/i18n.ts';

/** Loads one admin collection and lets pages patch it in place after a create or edit. */
export function useAdminList<T extends { id: string | number }>(load: () => Promise<T[]>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [items, setItems] = useState<T[]>([]);
  const [isLoading, setIsLoading] = useState(true);

  const reload = useCallback(async () => {
    setIsLoading(true);
    try {
      setItems(await load());
    } catch (error) {
      message.error(errorMessage(error, t('common.requestFailed')));
    } finally {
      setIsLoading(false);
    }
  }, [load, message, t]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const upsert = useCallback((item: T) => {
    setItems((prev) =>
      prev.some((i) => i.id === item.id) ? prev.map((i) => (i.id === item.id ? item : i)) : [...prev, item],
    );
  }, []);

  return { items, isLoading, reload, upsert };
}
