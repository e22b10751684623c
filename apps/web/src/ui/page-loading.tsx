import { Spin } from 'antd';

export function PageLoading() {
  return (
    <div className="pd-page-loading">
      <Spin />
    </div>
  );
}
