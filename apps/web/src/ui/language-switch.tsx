import { Select } from 'antd';
import { LANGUAGES, type TLanguage, useI18n } from '../lib/i18n.ts';

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <Select<TLanguage>
      size="small"
      value={language}
      onChange={setLanguage}
      aria-label={t('lang.label')}
      data-testid="language-switch"
      style={{ width: 110 }}
      options={LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
