"""Regional economics: specialisation, relatedness and potential sectors, cluster evaluation."""
