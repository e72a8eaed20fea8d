package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/banban-gov/banban/bot/forms"
)

// dataKey returns the key that seals form drafts: BANBAN_DATA_KEY, or the
// key file in the data directory, created on first use. With PostgreSQL
// and several servers, set BANBAN_DATA_KEY so they all share one key; a lost
// key makes the drafts it sealed unreadable (nothing else depends on it).
func dataKey(cfg Config) ([]byte, error) {
	if cfg.DataKey != "" {
		k, err := forms.ParseKey(cfg.DataKey)
		if err != nil {
			return nil, fmt.Errorf("BANBAN_DATA_KEY：%w", err)
		}
		return k, nil
	}
	path := filepath.Join(cfg.DataDir, "data.key")
	raw, err := os.ReadFile(path)
	if err == nil {
		k, err := forms.ParseKey(string(raw))
		if err != nil {
			return nil, fmt.Errorf("密钥文件 %s 已损坏：%w", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("读取密钥文件 %s：%w", path, err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	k := forms.NewKey()
	if err := os.WriteFile(path, []byte(fmt.Sprintf("%x\n", k)), 0o600); err != nil {
		return nil, fmt.Errorf("写入密钥文件 %s：%w", path, err)
	}
	return k, nil
}
