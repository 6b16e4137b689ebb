"""PyTorch twin of hafrec's HAF model (src/model): the same parameters, masking and losses,
trained with DistributedDataParallel and saved in hafrec's weights format."""
