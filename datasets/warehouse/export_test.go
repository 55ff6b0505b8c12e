package warehouse

// Test-only access to the migration runner with a chosen migration list.
var OpenWith = openWith

func Migrations() []Migration { return migrations }
