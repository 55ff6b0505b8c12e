package datasets

import "errors"

// ErrUnknownDataset is returned for a dataset name that has no contract.
var ErrUnknownDataset = errors.New("unknown dataset")
